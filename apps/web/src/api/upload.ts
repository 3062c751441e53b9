import { ApiError, tokenStore } from './client';
import type { EvidenceMeta } from './types';

/**
 * Uploads one evidence file. This is the one call not made through openapi-fetch: fetch()
 * reports no upload progress, and a 25 MiB file needs a progress bar, so it uses
 * XMLHttpRequest's `upload.onprogress` against the same generated route.
 */
export const uploadEvidence = (caseId: string, file: File, onProgress: (fraction: number) => void): Promise<EvidenceMeta> =>
  new Promise((resolve, reject) => {
    const path: keyof import('./schema').paths = '/v1/cases/{id}/evidence';
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path.replace('{id}', encodeURIComponent(caseId)));
    const token = tokenStore.get();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { detail: xhr.responseText || undefined };
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as EvidenceMeta);
      } else reject(new ApiError(xhr.status, (body ?? {}) as ApiError['problem']));
    };
    xhr.onerror = () => reject(new ApiError(0, { detail: 'The upload failed: the server could not be reached.' }));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
