import { Forbidden, type AppError } from './errors.js';

/** One rule: may this actor do the action to this subject? Pure: the command loads what it needs. */
export type Rule<A, S> = (actor: A, subject: S) => boolean;

/**
 * A domain's policy in the STYLE.md shape: `allow(action, rule)` lines read as sentences, and
 * several rules for one action are alternatives (any one allows). An action with no rule is refused.
 * `Subjects` maps each action to what its rule looks at, so a rule cannot be asked about the wrong thing.
 */
export interface Policy<A, Subjects extends Record<string, unknown>> {
  allow<K extends keyof Subjects & string>(action: K, rule: Rule<A, Subjects[K]>): Policy<A, Subjects>;
  can<K extends keyof Subjects & string>(actor: A, action: K, subject: Subjects[K]): boolean;
  /** Throws `refuse()` (403 by default; pass a NotFound where the actor may not know the object). */
  authorize<K extends keyof Subjects & string>(actor: A, action: K, subject: Subjects[K], refuse?: () => AppError): void;
}

export function policy<A, Subjects extends Record<string, unknown>>(): Policy<A, Subjects> {
  const rules = new Map<string, Rule<A, never>[]>();
  const self: Policy<A, Subjects> = {
    allow(action, rule) {
      rules.set(action, [...(rules.get(action) ?? []), rule as Rule<A, never>]);
      return self;
    },
    can(actor, action, subject) {
      return (rules.get(action) ?? []).some((rule) => (rule as Rule<A, typeof subject>)(actor, subject));
    },
    authorize(actor, action, subject, refuse = () => new Forbidden()) {
      if (!self.can(actor, action, subject)) throw refuse();
    },
  };
  return self;
}
