import { Op } from 'sequelize';
import { config } from '../src/config.js';
import { sequelize } from '../src/db/connection.js';
import { hashPassword } from '../src/lib/password.js';
import { AuthUser, EventInterest } from '../src/models/index.js';
import { INTERESTS } from './interests.js';

export const DEV_ADMIN_EMAIL = 'admin@loopin.local';
export const DEV_ADMIN_PASSWORD = 'loopin-admin-dev';

/** Seeds reference data idempotently: the interests and the first superuser. */
export async function seedReference(log: (line: string) => void = () => undefined): Promise<void> {
  await seedInterests();
  await seedSuperuser(log);
}

export async function seedInterests(): Promise<void> {
  const now = new Date();
  await EventInterest.bulkCreate(
    INTERESTS.map((i) => ({ ...i, is_active: true, created_at: now, updated_at: now })),
    { ignoreDuplicates: true },
  );
}

export async function seedSuperuser(log: (line: string) => void): Promise<void> {
  const cfg = config();
  const existing = await AuthUser.count({ where: { is_superuser: true } });
  if (existing > 0) return;
  let email = cfg.ADMIN_EMAIL;
  let password = cfg.ADMIN_PASSWORD;
  if (!email || !password) {
    if (cfg.NODE_ENV === 'production') {
      log('No superuser exists and ADMIN_EMAIL/ADMIN_PASSWORD are not set: the admin panel has no user yet.');
      return;
    }
    email ??= DEV_ADMIN_EMAIL;
    password ??= DEV_ADMIN_PASSWORD;
    log(`Development superuser: ${email} / ${password} (set ADMIN_EMAIL and ADMIN_PASSWORD to choose your own)`);
  }
  const hashed = await hashPassword(password);
  await sequelize().transaction(async (transaction) => {
    // Serialise concurrent first starts of several instances.
    await sequelize().query('select pg_advisory_xact_lock(268107778)', { transaction });
    if ((await AuthUser.count({ where: { is_superuser: true }, transaction })) > 0) return;
    const clash = await AuthUser.findOne({ where: { [Op.or]: [{ username: email }, { email }] }, transaction });
    if (clash) {
      await clash.update({ is_superuser: true, is_staff: true, is_active: true, password: hashed }, { transaction });
      return;
    }
    await AuthUser.create({
      username: email!, email, password: hashed, first_name: 'Loopin', last_name: 'Admin',
      is_active: true, is_staff: true, is_superuser: true, date_joined: new Date(),
    }, { transaction });
  });
}
