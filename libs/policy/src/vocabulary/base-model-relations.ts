/** How a model version derives from a base model: the Hugging Face model card's `base_model_relation` vocabulary. */
export const BASE_MODEL_RELATIONS = ['finetune', 'adapter', 'merge', 'quantized'] as const;

export type BaseModelRelation = (typeof BASE_MODEL_RELATIONS)[number];
