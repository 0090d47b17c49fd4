import React from 'react';
import { Box, Button, Text } from '@adminjs/design-system';
import type { ActionProps } from 'adminjs';

/**
 * "Export CSV" of the list as it is filtered now: the drawer inherits the list's query string
 * (filters.*), and the link GETs the same action, which streams the file (a read, so GET is right).
 */
const ExportCsv: React.FC<ActionProps> = ({ resource, action }) => {
  const params = new URLSearchParams(window.location.search);
  params.delete('page');
  params.set('download', '1');
  const href = `/admin/api/resources/${encodeURIComponent(resource.id)}/actions/${encodeURIComponent(action.name)}?${params.toString()}`;
  const filters = [...params.keys()].filter((k) => k.startsWith('filters.'));
  return (
    <Box variant="container" data-testid="export-csv">
      <Text mb="lg">
        {filters.length ? `Rows matching the current filter (${filters.map((f) => f.slice(8)).join(', ')}).` : 'Every row (no filter set).'}
      </Text>
      <Button as="a" href={href} variant="contained" data-testid="export-csv-download">Download CSV</Button>
    </Box>
  );
};

export default ExportCsv;
