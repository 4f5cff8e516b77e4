import type { NextFunction, Request, Response } from 'express';

/**
 * What a signed-in member or a key reads (orders, customers' phones, a CSV of the books) is the shop's alone: no
 * shared cache may keep it, nor a browser on a shared computer (a cyber café, the shop's one laptop) once the seller
 * has signed out. A route that says otherwise (the public event catalogue) sets its own header after this one.
 */
export function privateAnswers(req: Request, res: Response, next: NextFunction): void {
  if (req.headers.authorization !== undefined || req.headers.cookie?.includes('token=')) {
    res.setHeader('Cache-Control', 'no-store');
  }
  next();
}
