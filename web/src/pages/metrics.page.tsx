import { Activity } from 'lucide-react';
import { Link } from 'react-router';
import { ComingSoon } from '../ui/coming-soon';

/** Metrics are a later issue: this page says so instead of pretending. */
export const Page = () => (
  <ComingSoon
    icon={Activity}
    title="Metrics"
    items={['CPU and memory of each service over time', 'Requests, error rates and response times', 'Deployments marked on the charts']}
  >
    Charts are not in the console yet. Meanwhile, each deployment's build and runtime log is on its page, and the health of the platform itself is on the{' '}
    <Link to="/status" className="underline">status page</Link>.
  </ComingSoon>
);
