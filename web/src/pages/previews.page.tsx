import { GitPullRequest } from 'lucide-react';
import { Link } from 'react-router';
import { ComingSoon } from '../ui/coming-soon';

/** Preview environments are a later issue: this page says so instead of pretending. */
export const Page = () => (
  <ComingSoon
    icon={GitPullRequest}
    title="Previews"
    items={[
      'A preview environment for each open pull or merge request, with its own URL',
      'Its status, the commit it runs and a link to the pull request',
      'Previews removed when the pull request is merged or closed',
    ]}
  >
    Preview environments are not in the console yet. Meanwhile, deploy a branch by pointing a service at it from its <Link to="/" className="underline">project</Link>.
  </ComingSoon>
);
