/** The 17 components of the Model Openness Framework, in SPEC order. */
export const COMPONENTS = [
  'model_architecture',
  'data_preprocessing_code',
  'training_code',
  'inference_code',
  'evaluation_code',
  'supporting_libraries',
  'model_parameters',
  'intermediate_parameters',
  'datasets',
  'evaluation_data',
  'model_metadata',
  'sample_outputs',
  'model_card',
  'data_card',
  'technical_report',
  'research_paper',
  'evaluation_results',
] as const;

export type Component = (typeof COMPONENTS)[number];

/** Components that carry the model's capability; the pack limits how openly they are released. */
export const CAPABILITY_COMPONENTS = ['model_parameters', 'intermediate_parameters'] as const satisfies readonly Component[];

export type CapabilityComponent = (typeof CAPABILITY_COMPONENTS)[number];

export const isCapabilityComponent = (component: Component): component is CapabilityComponent =>
  (CAPABILITY_COMPONENTS as readonly Component[]).includes(component);
