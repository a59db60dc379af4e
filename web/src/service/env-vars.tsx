import { EnvVarsEditor } from '../env/env-vars-editor';

export { MASK } from '../env/env-vars-editor';

/** The service's own variables (the project's and the instance's are edited on their own pages). */
export const EnvVars = ({ serviceId }: { serviceId: string }) => <EnvVarsEditor level={{ scope: 'service', serviceId }} />;
