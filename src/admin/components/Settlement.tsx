import React, { useEffect, useState } from 'react';
import { Box, Button, FormGroup, Input, Label, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient, type ActionProps } from 'adminjs';

interface Row {
  event: { id: number; uuid: string; title: string; end_time: string };
  host_id: number; currency: string;
  gross: string; refunds: string; chargebacks: string; fees: string; adjustments: string; net: string;
  paid_out: string; in_payout: string; unpaid: string;
}

const api = new ApiClient();

/** Per-event settlement: what each event sold, gave back, cost in fees, netted and has paid out. */
const Settlement: React.FC<ActionProps> = ({ resource, action }) => {
  const [rows, setRows] = useState<Row[]>([]);
  const [host, setHost] = useState('');
  const [event, setEvent] = useState('');
  const load = async () => {
    const params = new URLSearchParams();
    if (host) params.set('host_id', host);
    if (event) params.set('event_id', event);
    const response = await api.resourceAction({ resourceId: resource.id, actionName: action.name, method: 'get', search: `?${params.toString()}` });
    setRows(((response.data as { settlement?: Row[] }).settlement) ?? []);
  };
  useEffect(() => {
    void load();
  }, []);
  const cols: (keyof Row)[] = ['gross', 'refunds', 'chargebacks', 'fees', 'adjustments', 'net', 'paid_out', 'in_payout', 'unpaid'];
  return (
    <Box variant="container" data-testid="settlement">
      <Box flex flexDirection="row" mb="lg">
        <FormGroup mr="lg"><Label>Host id</Label><Input value={host} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setHost(e.target.value)} /></FormGroup>
        <FormGroup mr="lg"><Label>Event id</Label><Input value={event} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setEvent(e.target.value)} /></FormGroup>
        <Button onClick={() => void load()}>Show</Button>
      </Box>
      {rows.length === 0 ? <Text>No ledger entries.</Text> : (
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>Event</TableCell><TableCell>Host</TableCell><TableCell>Currency</TableCell>
              {cols.map((c) => <TableCell key={c}>{c.replace('_', ' ')}</TableCell>)}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={`${r.event.id}-${r.currency}`}>
                <TableCell>{r.event.title} (#{r.event.id})</TableCell><TableCell>{r.host_id}</TableCell><TableCell>{r.currency}</TableCell>
                {cols.map((c) => <TableCell key={c}>{String(r[c])}</TableCell>)}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
};

export default Settlement;
