import { useState } from 'react';
import { EventForm, type EventFormProps } from './event-form';
import { payloadOf, type FieldSpec, type SimpleEvent } from './simple-fields';

/** The form of an event whose payload is a few plain fields. */
export function SimpleForm<T extends SimpleEvent>({ type, fields, ...props }: EventFormProps & { type: T; fields: Array<FieldSpec<T>> }) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.name, f.kind === 'select' && f.required ? (f.options?.[0]?.value ?? '') : ''])),
  );
  const intro = fields.length === 0
    ? <p>{type === 'SUBMIT' || type === 'RESUBMIT' ? 'The current assessment becomes a new immutable revision and goes to automated intake screening.' : 'Please confirm.'}</p>
    : undefined;
  return (
    <EventForm type={type} build={() => payloadOf<T>(values)} intro={intro} {...props}>
      {fields.map((f) => {
        const id = `${type}-${f.name}`;
        const set = (v: string) => setValues((s) => ({ ...s, [f.name]: v }));
        return (
          <div className="field" key={f.name}>
            <label htmlFor={id}>{f.label}</label>
            {f.kind === 'textarea' ? (
              <textarea id={id} rows={3} required={f.required} value={values[f.name]} onChange={(e) => set(e.target.value)} />
            ) : f.kind === 'select' ? (
              <select id={id} required={f.required} value={values[f.name]} onChange={(e) => set(e.target.value)}>
                {!f.required && <option value="">none</option>}
                {f.options?.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
              </select>
            ) : (
              <input id={id} required={f.required} value={values[f.name]} onChange={(e) => set(e.target.value)} />
            )}
          </div>
        );
      })}
    </EventForm>
  );
}
