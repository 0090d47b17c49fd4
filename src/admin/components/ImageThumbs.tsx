import React from 'react';
import { Box, Text, ValueGroup } from '@adminjs/design-system';
import { flat, useTranslation, type BasePropertyProps } from 'adminjs';

/** Thumbnails of an image-URL property: the first one small in lists, all of them on the record page. */
const ImageThumbs: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const { translateProperty } = useTranslation();
  const label = translateProperty(property.label, property.resourceId);
  const raw = (record ? flat.get(record.params, property.path) : null) as unknown;
  const urls = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(String);
  if (where === 'list') {
    const first = urls[0];
    return first
      ? <img src={first} alt="" width={48} height={36} style={{ objectFit: 'cover', borderRadius: 3 }} data-testid="image-thumb" />
      : <Text color="grey60">—</Text>;
  }
  return (
    <ValueGroup label={label}>
      <Box flex flexWrap="wrap" style={{ gap: 12 }}>
        {urls.map((url, index) => (
          <a key={`${index}-${url}`} href={url} target="_blank" rel="noreferrer noopener" title={url}>
            <img src={url} alt={`${label} ${index + 1}`} width={160} height={120} style={{ objectFit: 'cover', borderRadius: 4 }} data-testid="image-thumb" />
          </a>
        ))}
        {urls.length === 0 ? <Text color="grey60">No image</Text> : null}
      </Box>
    </ValueGroup>
  );
};

export default ImageThumbs;
