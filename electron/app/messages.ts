/**
 * The contract's validation speaks Chinese: a refused argument reaches registrar staff as
 * `参数不正确（…）：…`, and zod's built-in texts are English ("Too small: expected string to have
 * >=4 characters"). Imported for its effect by the dispatcher, before any schema is checked;
 * messages written into a schema stay as written.
 */
import { z } from 'zod';

z.config(z.locales.zhCN());
