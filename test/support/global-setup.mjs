// Jest loads global setup outside its ESM transform; tsx lets it run the TypeScript implementation as is.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { default: setup } = await tsImport('./global-setup.impl.ts', import.meta.url);
  await setup();
}
