import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';

/**
 * payout_account: one per host. The account number exists only as AES-256-GCM ciphertext (with its
 * nonce, tag and the id of the key that sealed it) plus its last four digits for display.
 */
export class PayoutAccount extends Model<InferAttributes<PayoutAccount>, InferCreationAttributes<PayoutAccount>> {
  declare id: CreationOptional<number>;
  declare uuid: CreationOptional<string>;
  declare user_id: number;
  declare account_holder: string;
  declare account_number_ciphertext: Buffer;
  declare account_number_nonce: Buffer;
  declare account_number_tag: Buffer;
  declare account_number_last4: string;
  declare key_id: string;
  declare ifsc: string;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare user?: NonAttribute<AuthUser>;

  static initModel(sequelize: Sequelize): void {
    PayoutAccount.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        user_id: { type: DataTypes.BIGINT, allowNull: false, unique: true },
        account_holder: { type: DataTypes.STRING(100), allowNull: false },
        account_number_ciphertext: { type: DataTypes.BLOB, allowNull: false },
        account_number_nonce: { type: DataTypes.BLOB, allowNull: false },
        account_number_tag: { type: DataTypes.BLOB, allowNull: false },
        account_number_last4: { type: DataTypes.STRING(4), allowNull: false },
        key_id: { type: DataTypes.STRING(16), allowNull: false },
        ifsc: { type: DataTypes.STRING(11), allowNull: false },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'payout_account', modelName: 'PayoutAccount',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
