import { ilikePattern } from '../common/ilike.js';
import { phoneSearchText } from '../common/phone.js';

/** The shop's customers matching `q` (name, phone in any usual form, email) as SQL conditions and their parameters. */
export function customerSearch(sellerId: string, q?: string): { where: string[]; params: unknown[] } {
  const where = ['seller_id = ?'];
  const params: unknown[] = [sellerId];
  if (q) {
    const like = ilikePattern(q);
    where.push('(name ilike ? or phone ilike ? or email ilike ?)');
    params.push(like, ilikePattern(phoneSearchText(q)), like);
  }
  return { where, params };
}
