import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';
import type { Event } from './Event.js';
import type { EventRequest } from './EventRequest.js';
import type { EventInvite } from './EventInvite.js';

/** capacity_reservation: seats held while the buyer pays; live = not consumed, not released, unexpired. */
export class CapacityReservation extends Model<
  InferAttributes<CapacityReservation>, InferCreationAttributes<CapacityReservation>
> {
  declare id: CreationOptional<number>;
  declare event_id: number;
  declare user_id: number;
  declare reservation_key: CreationOptional<string>;
  declare seats_reserved: CreationOptional<number>;
  declare consumed: CreationOptional<boolean>;
  declare expires_at: Date;
  declare request_id: CreationOptional<number | null>;
  declare invite_id: CreationOptional<number | null>;
  declare released_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare event?: NonAttribute<Event>;
  declare user?: NonAttribute<AuthUser>;
  declare request?: NonAttribute<EventRequest | null>;
  declare invite?: NonAttribute<EventInvite | null>;

  static initModel(sequelize: Sequelize): void {
    CapacityReservation.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        event_id: { type: DataTypes.BIGINT, allowNull: false },
        user_id: { type: DataTypes.BIGINT, allowNull: false },
        reservation_key: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        seats_reserved: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1, validate: { min: 1 } },
        consumed: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        expires_at: { type: DataTypes.DATE, allowNull: false },
        request_id: { type: DataTypes.BIGINT, allowNull: true },
        invite_id: { type: DataTypes.BIGINT, allowNull: true },
        released_at: { type: DataTypes.DATE, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'capacity_reservation', modelName: 'CapacityReservation',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
