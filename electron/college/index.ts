/** The college area's public API: the college's settings (name, 学校代码, year, 复核, 公示 contact). */
export { collegeHandlers } from './handlers.js';
export { collegeSettings, setCollegeSettings } from './settings.js';
