import { allOrFirstError } from './all-or-first-error.js';

describe('allOrFirstError', () => {
  it('answers every value, in order, like Promise.all', async () => {
    expect(await allOrFirstError([Promise.resolve(1), 'two', Promise.resolve(null)] as const)).toEqual([
      1,
      'two',
      null,
    ]);
  });

  it('rejects with the first error of the list, only once every promise has settled', async () => {
    let lateDone = false;
    const late = new Promise<string>((resolve) =>
      setTimeout(() => {
        lateDone = true;
        resolve('late');
      }, 30),
    );
    const outcome = allOrFirstError([
      Promise.resolve('ok'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('second')), 10)),
      late,
      Promise.reject(new Error('fourth')),
    ] as const);
    await expect(outcome).rejects.toThrow('second');
    expect(lateDone).toBe(true);
  });
});
