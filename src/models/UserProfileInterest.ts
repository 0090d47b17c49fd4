import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize,
} from 'sequelize';

/** user_profile_interest: the profile ↔ interest join table (not a table in the ERD). */
export class UserProfileInterest extends Model<
  InferAttributes<UserProfileInterest>, InferCreationAttributes<UserProfileInterest>
> {
  declare id: CreationOptional<number>;
  declare profile_id: number;
  declare eventinterest_id: number;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    UserProfileInterest.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        profile_id: { type: DataTypes.BIGINT, allowNull: false },
        eventinterest_id: { type: DataTypes.BIGINT, allowNull: false },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'user_profile_interest', modelName: 'UserProfileInterest',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
