/**
 * A database function kept in one file. `sql` is spelled exactly as PostgreSQL's
 * pg_get_functiondef() prints it, so a test can compare the live function with its file verbatim.
 */
export interface DbFunction {
  name: string;
  /** The argument list as pg_get_function_arguments() prints it (OUT parameters included). */
  args: string;
  returns: string;
  sql: string;
}

/** A PL/pgSQL function (VOLATILE, the default, which pg_get_functiondef leaves out). */
export function plpgsql(f: { name: string; args: string; returns: string; body: string }): DbFunction {
  if (!f.body.startsWith('\n') || f.body.includes('$function$')) throw new Error(`${f.name}: malformed body`);
  const sql = `CREATE OR REPLACE FUNCTION public.${f.name}(${f.args})\n RETURNS ${f.returns}\n LANGUAGE plpgsql\nAS $function$${f.body}$function$\n`;
  return { name: f.name, args: f.args, returns: f.returns, sql };
}
