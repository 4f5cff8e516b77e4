import { slugCandidate, slugify } from './slug.js';

describe('slugify', () => {
  it.each([
    ['Mama Mboga Fresh', 'mama-mboga-fresh'],
    ["Mama Ngũgĩ's Kiosk", 'mama-ngugis-kiosk'],
    ['  Duka -- La  Nairobi!! ', 'duka-la-nairobi'],
    ['Café Déjà Vu', 'cafe-deja-vu'],
    ['!!!', 'shop'],
    ['ニホン', 'shop'],
  ])('%s -> %s', (input, expected) => {
    expect(slugify(input)).toBe(expected);
  });

  it('caps the length without a trailing dash', () => {
    const slug = slugify('a'.repeat(47) + ' b');
    expect(slug.length).toBeLessThanOrEqual(48);
    expect(slug.endsWith('-')).toBe(false);
  });

  it('numbers later candidates', () => {
    expect(slugCandidate('duka', 1)).toBe('duka');
    expect(slugCandidate('duka', 3)).toBe('duka-3');
  });
});
