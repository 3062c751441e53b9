/** The risk domains the default pack requires to be evaluated. */
export const DEFAULT_DOMAINS = ['chem_bio', 'cyber', 'autonomy', 'persuasion'] as const;
