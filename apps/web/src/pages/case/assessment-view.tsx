import type { CaseView } from '../../api/types';
import { words } from '../../components/format';

/** The assessment as submitted (or the draft), read-only. */
export function AssessmentView({ caseView: c }: { caseView: CaseView }) {
  const a = c.assessment;
  return (
    <section aria-labelledby="assessment-view-heading">
      <h2 id="assessment-view-heading">Assessment{c.revision > 0 ? ` (revision ${c.revision})` : ' (draft)'}</h2>
      {!a ? <p>No assessment yet.</p> : (
        <>
          <dl className="prose">
            <dt>Summary</dt><dd>{a.summary ?? '—'}</dd>
            <dt>Intended use</dt><dd>{a.intendedUse ?? '—'}</dd>
            <dt>Rationale</dt><dd>{a.rationale ?? '—'}</dd>
            <dt>Marginal risk</dt><dd>{a.marginalRisk ? `${a.marginalRisk.referenceModel ?? '—'}: ${a.marginalRisk.analysis ?? '—'}` : '—'}</dd>
          </dl>
          <h3>Components (others withheld)</h3>
          <table>
            <caption className="visually-hidden">Release decision per component</caption>
            <thead><tr><th scope="col">Component</th><th scope="col">Release</th><th scope="col">Gating</th></tr></thead>
            <tbody>
              {(a.components ?? []).map((x) => (
                <tr key={x.component}>
                  <td>{words(x.component)}</td>
                  <td>{words(x.release)}</td>
                  <td>{x.gating ? `${x.gating.criteria.map(words).join(', ')}; ${x.gating.approval} approval` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Evaluations</h3>
          <table>
            <caption className="visually-hidden">Evaluations per risk domain</caption>
            <thead><tr><th scope="col">Domain</th><th scope="col">Tier</th><th scope="col">Method</th><th scope="col">Summary</th><th scope="col">Evidence files</th></tr></thead>
            <tbody>
              {(a.evaluations ?? []).map((e) => (
                <tr key={e.domain}>
                  <td>{words(e.domain)}</td>
                  <td>{words(e.tier)}</td>
                  <td>{words(e.method)}</td>
                  <td>{e.summary}</td>
                  <td>{e.evidenceIds?.length ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Safeguards</h3>
          {(a.safeguards ?? []).length === 0 ? <p>None.</p> : (
            <ul>{(a.safeguards ?? []).map((s, i) => <li key={i}><strong>{s.kind}</strong>: {s.description} (residual risk {s.residualRisk})</li>)}</ul>
          )}
          <h3>Failure conditions</h3>
          {(a.failureConditions ?? []).length === 0 ? <p>None.</p> : <ul>{(a.failureConditions ?? []).map((f, i) => <li key={i}>{f}</li>)}</ul>}
        </>
      )}
    </section>
  );
}
