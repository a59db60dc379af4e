import { generatedHeader, SOURCE_DIR } from './generated-context';
import { staticServerStage } from './static-server';

/** A static site (index.html at the root): the repository, served as it is. */
export const staticDockerfile = ({ staticImage }: { staticImage: string }): string =>
  [generatedHeader('static'), ...staticServerStage(staticImage, `COPY ${SOURCE_DIR}/ /srv/`), ''].join('\n');
