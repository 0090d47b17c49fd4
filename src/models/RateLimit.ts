import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** rate_limit: fixed-window counters shared by all instances; primary key (key, window_start), no id. */
export class RateLimit extends Model<InferAttributes<RateLimit>, InferCreationAttributes<RateLimit>> {
  declare key: string;
  declare window_start: Date;
  declare count: CreationOptional<number>;

  static initModel(sequelize: Sequelize): void {
    RateLimit.init(
      {
        key: { type: DataTypes.TEXT, allowNull: false, primaryKey: true },
        window_start: { type: DataTypes.DATE, allowNull: false, primaryKey: true },
        count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { min: 0 } },
      },
      { sequelize, tableName: 'rate_limit', modelName: 'RateLimit', timestamps: false, underscored: true },
    );
  }
}
