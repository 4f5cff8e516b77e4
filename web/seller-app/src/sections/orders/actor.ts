/** Who an order's timeline entry names, as the API records it: a person's or key's id, or a word for the rest. */
export type ActorKind = 'you' | 'staff' | 'key' | 'customer' | 'mpesa' | 'system';

/** `me`: the signed-in user's id, so their own moves read "by you". Unknown words read as SokoHub's own. */
export function actorKind(actor: string, me: string): ActorKind {
  if (actor === me) return 'you';
  if (actor.startsWith('usr_')) return 'staff';
  // The API names a key `apikey:key_…` (the key's id after the word).
  if (actor.startsWith('apikey:') || actor.startsWith('key_')) return 'key';
  if (actor === 'customer') return 'customer';
  if (actor.startsWith('mpesa')) return 'mpesa';
  return 'system';
}
