export interface FieldProblem { path: string; message: string }

/** Problems at `path` or inside it (`$.components[0]` takes `$.components[0].gating.criteria`). */
export const errorsUnder = (problems: FieldProblem[], path: string): FieldProblem[] =>
  problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`));

/** The server's validation messages for one field, shown beside it. */
export function FieldErrors({ problems, id }: { problems: FieldProblem[]; id?: string }) {
  if (problems.length === 0) return null;
  return (
    <ul className="field-errors" id={id}>
      {problems.map((p, i) => (
        <li key={i}>{p.message}</li>
      ))}
    </ul>
  );
}
