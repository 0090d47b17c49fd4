import { QueryTypes, type Transaction } from 'sequelize';
import { sequelize } from '../../../db/connection.js';
import { AttendanceRecord } from '../../../models/index.js';

/*
 * The door's read of a ticket: the record, its secret's salt and hash, and the holder's uuid and
 * name, in ONE constant query (the door's hot path; a Sequelize include of three models cost more
 * client CPU than the check-in's write). The record is built as Sequelize builds query results.
 */
export interface DoorRecord extends AttendanceRecord {
  doorSecret: { secret_salt: string; secret_hash: string } | null;
}

let columns: string | undefined;
const recordColumns = () =>
  (columns ??= Object.entries(AttendanceRecord.getAttributes()).map(([name, a]) => `ar.${a.field ?? name} AS "${name}"`).join(', '));

const sql = (where: string) => `
  SELECT ${recordColumns()}, ts.secret_salt AS "s_salt", ts.secret_hash AS "s_hash", u.uuid AS "u_uuid", p.name AS "u_name"
    FROM attendance_record ar
    LEFT JOIN ticket_secret ts ON ts.attendance_record_id = ar.id
    JOIN auth_user u ON u.id = ar.user_id
    LEFT JOIN user_profile p ON p.user_id = u.id
   WHERE ${where}`;

const WHERE = {
  lookup: 'ar.id = (SELECT attendance_record_id FROM ticket_secret WHERE secret_lookup = $value)',
  uuid: 'ar.uuid = $value',
} as const;

/** The ticket whose secret has this lookup HMAC, or whose uuid this is; null when there is none. */
export async function findDoorRecord(by: keyof typeof WHERE, value: string, transaction?: Transaction): Promise<DoorRecord | null> {
  const rows = await sequelize().query<Record<string, unknown>>(sql(WHERE[by]), { bind: { value }, type: QueryTypes.SELECT, transaction });
  const row = rows[0];
  if (!row) return null;
  const { s_salt, s_hash, u_uuid, u_name, ...attrs } = row;
  const record = AttendanceRecord.build(attrs as never, { isNewRecord: false, raw: true }) as DoorRecord;
  record.doorSecret = s_salt ? { secret_salt: String(s_salt), secret_hash: String(s_hash) } : null;
  Object.assign(record, { user: { uuid: u_uuid, profile: { name: u_name ?? null } } });
  return record;
}
