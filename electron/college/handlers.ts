/** Handlers of the college area (shared/api/college.ts). */
import type { AreaHandlers, CollegeResults } from '../../shared/api/index.js';
import type { DeskContext } from '../app/context.js';
import { collegeSettings, setCollegeSettings } from './settings.js';

export function collegeHandlers(ctx: DeskContext): AreaHandlers<CollegeResults> {
  return {
    'college.settings.get': () => collegeSettings(ctx.ws()),
    'college.settings.set': ({ patch, by }) => setCollegeSettings(ctx.ws(), ctx.deviceId, patch, by),
  };
}
