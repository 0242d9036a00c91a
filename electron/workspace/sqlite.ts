/**
 * Opens better-sqlite3. Tests and the CLI use the Node build in node_modules; the Electron app
 * passes the Electron-ABI build (made by scripts/electron-native.mjs into .native/) through
 * DESK_SQLITE_BINDING so the two builds never overwrite each other.
 */
import Database from 'better-sqlite3';

export type Db = Database.Database;

export function openSqlite(file: string, options: { readonly?: boolean; fileMustExist?: boolean } = {}): Db {
  const nativeBinding = process.env.DESK_SQLITE_BINDING || undefined;
  return new Database(file, { ...options, nativeBinding });
}
