/** POST /archives with the file as the raw body; resolves to the archiveId, reporting progress (0..1). */
export const uploadArchive = (file: File, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<string> =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/archives');
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
      if (xhr.status === 401 || xhr.status === 403) return reject(new Error('The upload was refused: sign in again, then retry'));
      reject(new Error(body.error ? `${body.error}: choose a .tar.gz or .zip file of at most 200 MB` : `The upload failed (HTTP ${xhr.status}); try again`));
    };
    xhr.onerror = () => reject(new Error('The upload did not reach the server: check your connection and try again'));
    xhr.onabort = () => reject(new Error('The upload was cancelled'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
