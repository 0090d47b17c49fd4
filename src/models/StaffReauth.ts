import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize,
} from 'sequelize';

/** staff_reauth: a staff member re-entered their password in one panel session; valid until expires_at. */
export class StaffReauth extends Model<InferAttributes<StaffReauth>, InferCreationAttributes<StaffReauth>> {
  declare id: CreationOptional<number>;
  declare user_id: number;
  declare session_key: string;
  declare verified_at: Date;
  declare expires_at: Date;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    StaffReauth.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        user_id: { type: DataTypes.BIGINT, allowNull: false },
        session_key: { type: DataTypes.STRING(64), allowNull: false },
        verified_at: { type: DataTypes.DATE, allowNull: false },
        expires_at: { type: DataTypes.DATE, allowNull: false },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'staff_reauth', modelName: 'StaffReauth',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
