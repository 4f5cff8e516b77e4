// @nestjs/throttler is CommonJS and require()s the ESM @nestjs/common; loading common first keeps Jest from
// seeing that require in the middle of an import cycle.
import '@nestjs/common';
import '@nestjs/core';
