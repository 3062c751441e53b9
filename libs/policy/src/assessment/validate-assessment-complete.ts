import type { ValidationProblem } from '../validation/validation-problem.js';
import type { AssessmentDocument } from './assessment.schema.js';

const REQUIRED = 'required for submission';

const isBlank = (value: string | undefined): boolean => value === undefined || value.trim() === '';

/**
 * What `SUBMIT` and `RESUBMIT` need beyond a valid shape: every top-level field present and
 * every prose field non-blank. `safeguards` must be present but may be empty (a developer
 * may state that it relies on none). Expects a document that passed `validateAssessmentShape`.
 */
export const validateAssessmentComplete = (doc: AssessmentDocument): ValidationProblem[] => {
  const problems: ValidationProblem[] = [];
  const need = (path: string, missing: boolean, message = REQUIRED) => {
    if (missing) problems.push({ path, message });
  };

  need('$.summary', isBlank(doc.summary));
  need('$.intendedUse', isBlank(doc.intendedUse));
  need('$.components', !doc.components?.length, 'at least one component is required for submission');
  need('$.evaluations', !doc.evaluations?.length, 'at least one evaluation is required for submission');
  doc.evaluations?.forEach((e, i) => need(`$.evaluations[${i}].summary`, isBlank(e.summary)));
  need('$.safeguards', doc.safeguards === undefined);
  doc.safeguards?.forEach((s, i) => need(`$.safeguards[${i}].description`, isBlank(s.description)));
  if (doc.marginalRisk === undefined) {
    need('$.marginalRisk', true);
  } else {
    need('$.marginalRisk.referenceModel', isBlank(doc.marginalRisk.referenceModel));
    need('$.marginalRisk.analysis', isBlank(doc.marginalRisk.analysis));
  }
  need('$.rationale', isBlank(doc.rationale));
  need('$.failureConditions', !doc.failureConditions?.length, 'at least one failure condition is required for submission');
  doc.failureConditions?.forEach((f, i) => need(`$.failureConditions[${i}]`, isBlank(f)));
  return problems;
};
