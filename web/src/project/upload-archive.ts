/**
 * POST /archives?projectId= with the file as the raw body, as the signed-in user (the session
 * cookie); resolves to the archiveId, usable by that project's services only, reporting progress (0..1).
 */
export const uploadArchive = (file: File, projectId: string, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<string> =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/archives?projectId=${encodeURIComponent(projectId)}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: { archiveId?: string; error?: string } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON: described below by status */
      }
      if (xhr.status >= 200 && xhr.status < 300 && body.archiveId) return resolve(body.archiveId);
      if (xhr.status === 401) return reject(new Error('The upload was refused: sign in again, then retry'));
      // 403 (no deploy rights here), 429 (too many uploads: when to retry): the server's words say what to do.
      if (body.error && (xhr.status === 403 || xhr.status === 429)) return reject(new Error(body.error));
      reject(new Error(body.error ? `${body.error}: choose a .tar.gz or .zip file of at most 200 MB` : `The upload failed (HTTP ${xhr.status}); try again`));
    };
    xhr.onerror = () => reject(new Error('The upload did not reach the server: check your connection and try again'));
    xhr.onabort = () => reject(new Error('The upload was cancelled'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
