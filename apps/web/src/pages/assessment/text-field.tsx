import { FieldErrors, type FieldProblem } from '../../components/field-errors';

/** A labelled input (or textarea when `rows` is given) with its help text and the server's problems beside it. */
export function TextField({ id, label, value, onChange, problems, rows, help, mono }: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  problems: FieldProblem[];
  rows?: number;
  help?: string;
  mono?: boolean;
}) {
  const helpId = help ? `${id}-help` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {rows
        ? <textarea id={id} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={helpId} />
        : <input id={id} className={mono ? 'mono' : undefined} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={helpId} />}
      {help && <p id={helpId} className="help">{help}</p>}
      <FieldErrors problems={problems} />
    </div>
  );
}
