import { sequelize } from '../../src/db/connection.js';
import { testDatabaseUrl } from './setup.js';

/** The Sequelize instance of this test file's own database. */
export const testDb = () => sequelize();
export { testDatabaseUrl };
