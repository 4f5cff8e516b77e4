import type { NextFunction, Request, Response } from 'express';
import type { ErrorBody } from '../errors/error-codes.js';

const REFUSED: ErrorBody = {
  success: false,
  code: 'UNSUPPORTED_MEDIA_TYPE',
  message: 'Form-encoded bodies are not accepted; send JSON (Content-Type: application/json)',
  statusCode: 415,
};

/**
 * No route takes HTML form bodies: refusing them outright closes the classic cross-site form post (a browser sends
 * `application/x-www-form-urlencoded` cross-site without a CORS preflight). Answered here, before any route runs.
 */
export function refuseFormBodies(req: Request, res: Response, next: NextFunction): void {
  if (req.is('application/x-www-form-urlencoded')) {
    res.status(415).json(REFUSED);
    return;
  }
  next();
}
