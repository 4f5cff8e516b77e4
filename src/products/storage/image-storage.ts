import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface StoredImage {
  data: Buffer;
  contentType: string;
}

/** Where product images live: a local folder now, object storage later, behind the same two calls. */
export abstract class ImageStorage {
  abstract put(key: string, data: Buffer, contentType: string): Promise<void>;
  abstract get(key: string): Promise<StoredImage | undefined>;
  abstract delete(key: string): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
const KEY = /^[a-z0-9_]+\.(jpg|png|webp)$/;

/** Images under DATA_DIR/uploads, named by image id and extension. */
export class LocalImageStorage extends ImageStorage {
  constructor(private readonly dir: string) {
    super();
  }

  async put(key: string, data: Buffer): Promise<void> {
    if (!KEY.test(key)) throw new Error(`bad image key ${key}`);
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, key), data);
  }

  async delete(key: string): Promise<void> {
    if (KEY.test(key)) await rm(join(this.dir, key), { force: true });
  }

  async get(key: string): Promise<StoredImage | undefined> {
    const match = KEY.exec(key);
    if (!match) return undefined;
    try {
      return { data: await readFile(join(this.dir, key)), contentType: CONTENT_TYPES[match[1]] };
    } catch {
      return undefined;
    }
  }
}
