import { EmptyState } from '../ui/notice';

/** Filled by the console's page work. */
export const Page = () => <EmptyState title="deployment" />;
