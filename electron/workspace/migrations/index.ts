/**
 * Numbered schema migrations. Each is applied in one transaction together with the bump of
 * `PRAGMA user_version`, so a crash leaves the database at the previous version, never between.
 * Append new migrations at the end (next free number, file `NNNN_name.ts`); never edit one that
 * has shipped. Versions must be contiguous 1..N (a test checks it).
 */
import { m0001 } from './0001_init.js';
import { m0002 } from './0002_checks.js';
import { m0003 } from './0003_sync.js';
import { m0004 } from './0004_import.js';
import { m0005 } from './0005_review.js';
import { m0006 } from './0006_exports.js';
import { m0007 } from './0007_ocr.js';
import { m0008 } from './0008_verdicts.js';
import { m0009 } from './0009_one_state.js';
import { m0010 } from './0010_declared_more.js';
import { m0011 } from './0011_sync_identity.js';
import { m0012 } from './0012_college_as_data.js';
import { m0013 } from './0013_ocr_unsure.js';
import { m0014 } from './0014_trust.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012, m0013, m0014].sort((a, b) => a.version - b.version);

export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
