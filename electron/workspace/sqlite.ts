/**
 * Opens better-sqlite3. Tests and the CLI use the Node build in node_modules; the Electron app
 * passes the Electron-ABI build (made by scripts/electron-native.mjs into .native/) in its
 * configuration, so the two builds never overwrite each other.
 */
import Database from 'better-sqlite3';
import { deskConfig } from '../platform/index.js';

export type Db = Database.Database;

export function openSqlite(file: string, options: { readonly?: boolean; fileMustExist?: boolean } = {}): Db {
  const nativeBinding = deskConfig().sqliteBinding;
  return new Database(file, { ...options, nativeBinding });
}
