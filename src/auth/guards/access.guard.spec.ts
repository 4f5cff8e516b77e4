import { DEFAULT_ACCESS } from '../access.decorators.js';
import { isAllowed } from './access.guard.js';

describe('isAllowed', () => {
  const owner = { read: 'OWNER', write: 'OWNER' } as const;

  it('lets every role read by default and only MANAGER and OWNER write', () => {
    expect(isAllowed('VIEWER', 'GET', DEFAULT_ACCESS)).toBe(true);
    expect(isAllowed('VIEWER', 'POST', DEFAULT_ACCESS)).toBe(false);
    expect(isAllowed('VIEWER', 'delete', DEFAULT_ACCESS)).toBe(false);
    expect(isAllowed('MANAGER', 'PATCH', DEFAULT_ACCESS)).toBe(true);
    expect(isAllowed('OWNER', 'PUT', DEFAULT_ACCESS)).toBe(true);
  });

  it('keeps owner-only areas from managers, even for reads', () => {
    expect(isAllowed('MANAGER', 'GET', owner)).toBe(false);
    expect(isAllowed('MANAGER', 'POST', owner)).toBe(false);
    expect(isAllowed('OWNER', 'POST', owner)).toBe(true);
  });
});
