import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize,
} from 'sequelize';

export const JOB_RUN_STATUSES = ['running', 'succeeded', 'failed'] as const;
export type JobRunStatus = (typeof JOB_RUN_STATUSES)[number];

/** job_run: one row per scheduled-job run; finished_at is set exactly when status leaves 'running'. */
export class JobRun extends Model<InferAttributes<JobRun>, InferCreationAttributes<JobRun>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare started_at: CreationOptional<Date>;
  declare finished_at: CreationOptional<Date | null>;
  declare status: CreationOptional<JobRunStatus>;
  declare detail: CreationOptional<Record<string, unknown>>;
  declare error: CreationOptional<string | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    JobRun.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        name: { type: DataTypes.STRING(100), allowNull: false },
        started_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
        finished_at: { type: DataTypes.DATE, allowNull: true },
        status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'running', validate: { isIn: [[...JOB_RUN_STATUSES]] } },
        detail: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        error: { type: DataTypes.TEXT, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'job_run', modelName: 'JobRun',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
