/**
 * A URL-safe slug: lower-case ASCII letters, digits and single dashes, accents folded ("Mama Ngũgĩ's" -> "mama-
 * ngugis").
 */
export function slugify(name: string, maxLength = 48): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
  return slug || 'shop';
}

/** The n-th alternative when a slug is taken: "duka", "duka-2", "duka-3", ... */
export function slugCandidate(base: string, attempt: number): string {
  return attempt <= 1 ? base : `${base}-${attempt}`;
}
