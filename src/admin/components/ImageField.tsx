import React, { useState } from 'react';
import { Box, Button, FormGroup, FormMessage, Text } from '@adminjs/design-system';
import { PropertyLabel, flat, useTranslation, type EditPropertyProps } from 'adminjs';

/** Set per property by the resource (src/admin/image-fields.ts). */
interface ImageFieldOptions {
  uploadUrl: string;
  /** A list of URLs (covers, pictures) of at most `max`, or one URL (a gallery image). */
  multiple: boolean;
  max: number;
  /** The URL is fixed once the record exists (a gallery image is replaced by delete and add). */
  fixed: boolean;
}

interface Problem {
  detail?: string;
  errors?: { field: string; message: string }[];
}

/**
 * Edit field for image URLs: thumbnails of what the record holds, Remove buttons, and a file input
 * that posts the file to the panel's upload door (the API's upload command: limits, type by
 * content, re-encode, storage). The stored URL joins the form's value; Save writes it through the
 * resource's command, as any other field. A refused upload changes nothing and says why here.
 */
const ImageField: React.FC<EditPropertyProps> = ({ property, record, onChange }) => {
  const options = property.custom as ImageFieldOptions;
  const { translateProperty } = useTranslation();
  const label = translateProperty(property.label, property.resourceId);
  const raw = flat.get(record.params, property.path) as unknown;
  const urls = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(String);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const saved = Object.entries(record.errors ?? {})
    .filter(([key]) => key === property.path || key.startsWith(`${property.path}.`))
    .map(([, e]) => e.message);
  const full = options.multiple ? urls.length >= options.max : false;
  const locked = options.fixed && !!record.id;

  const set = (next: string[]) => onChange(property.path, options.multiple ? next : next[0] ?? '');

  const upload = async (event: React.ChangeEvent<HTMLInputElement>) => {
    const input = event.target;
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const body = new FormData();
      body.append('file', file);
      const res = await fetch(options.uploadUrl, { method: 'POST', body, credentials: 'same-origin', headers: { Accept: 'application/json' } });
      const answer = (await res.json().catch(() => ({}))) as Problem & { url?: string };
      if (!res.ok || !answer.url) {
        setProblem(answer.errors?.[0]?.message ? `${file.name}: ${answer.errors[0].message}` : `${file.name}: ${answer.detail ?? `upload refused (${res.status})`}`);
        return;
      }
      set(options.multiple ? [...urls, answer.url] : [answer.url]);
    } catch {
      setProblem(`${file.name}: the upload did not reach the server`);
    } finally {
      setBusy(false);
      input.value = '';
    }
  };

  return (
    <FormGroup error={!!problem || saved.length > 0} data-testid={`image-field-${property.path}`}>
      <PropertyLabel property={property} />
      <Box flex flexWrap="wrap" style={{ gap: 12 }} mb="default">
        {urls.map((url, index) => (
          <Box key={`${index}-${url}`} data-testid="image-field-item" style={{ width: 128 }}>
            <a href={url} target="_blank" rel="noreferrer noopener">
              <img src={url} alt={`${label} ${index + 1}`} width={128} height={96} style={{ objectFit: 'cover', borderRadius: 4, display: 'block' }} />
            </a>
            {locked ? null : (
              <Button type="button" size="sm" variant="text" data-testid="image-field-remove" onClick={() => set(urls.filter((_, i) => i !== index))}>
                Remove
              </Button>
            )}
          </Box>
        ))}
        {urls.length === 0 ? <Text color="grey60">No image yet</Text> : null}
      </Box>
      {locked ? (
        <Text color="grey60">To replace it, delete this image and add a new one.</Text>
      ) : full ? (
        <Text color="grey60">At most {options.max}; remove one to add another.</Text>
      ) : (
        <input type="file" accept="image/jpeg,image/png,image/webp" disabled={busy} onChange={upload} data-testid="image-field-file" />
      )}
      {busy ? <Text mt="sm">Uploading…</Text> : null}
      {locked ? null : <Text mt="sm" color="grey60">JPEG, PNG or WebP, at most 5 MB; metadata such as GPS is removed. Save the form to keep the change.</Text>}
      {problem ? <FormMessage data-testid="image-field-error">{problem}</FormMessage> : null}
      {saved.map((message) => <FormMessage key={message}>{message}</FormMessage>)}
    </FormGroup>
  );
};

export default ImageField;
