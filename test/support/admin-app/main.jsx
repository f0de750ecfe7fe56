// The smallest API Platform Admin app, as its documentation shows it: <HydraAdmin> pointed at the
// entrypoint, and only the bearer header added, by wrapping fetchHydra (the data provider's
// httpClient) and giving the documentation parser the same header.
import { createRoot } from 'react-dom/client';
import { HydraAdmin, hydraDataProvider, fetchHydra } from '@api-platform/admin';
import { parseHydraDocumentation } from '@api-platform/api-doc-parser';

const { entrypoint, token } = window.LINKED_ORGS;

/* Admin's own headers (PATCH sets Content-Type: application/merge-patch+json) are kept: only the bearer is added. */
function withBearer(headers) {
  const all = new Headers(typeof headers === 'function' ? headers() : headers);
  all.set('Authorization', `Bearer ${token}`);
  return all;
}

const httpClient = (url, options = {}) => fetchHydra(url, { ...options, headers: withBearer(options.headers) });
const apiDocumentationParser = () => parseHydraDocumentation(entrypoint, { headers: withBearer() });
const dataProvider = hydraDataProvider({ entrypoint, httpClient, apiDocumentationParser, mercure: false });

createRoot(document.getElementById('root')).render(<HydraAdmin entrypoint={entrypoint} dataProvider={dataProvider} mercure={false} disableTelemetry />);
