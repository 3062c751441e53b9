// The public registry is its own library now; this path stays for the transition pipeline's import.
export { REGISTRY_MILESTONES, isRegistryMilestone } from '@app/registry';
