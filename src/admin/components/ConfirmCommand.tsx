import React, { useState } from 'react';
import { Box, Button, FormGroup, Input, Label, Select, Text, TextArea } from '@adminjs/design-system';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';

interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'textarea' | 'select' | 'password';
  options?: { value: string; label: string }[];
  required?: boolean;
}

const api = new ApiClient();

/**
 * Asks for confirmation (and the action's fields, if any), then POSTs the action. AdminJS calls
 * component-less actions with GET; every action that changes data goes through this form instead.
 * Password fields (actions behind re-authentication, src/admin/reauth.ts) are masked and cleared
 * after every submit, so a password never lingers in the page.
 */
const ConfirmCommand: React.FC<ActionProps> = ({ action, resource, record, records }) => {
  const custom = (action.custom ?? {}) as { confirm?: string; fields?: FieldSpec[] };
  const fields = custom.fields ?? [];
  const [values, setValues] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const addNotice = useNotice();

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const response = record
        ? await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, method: 'post', data: values })
        : records
          ? await api.bulkAction({ resourceId: resource.id, recordIds: records.map((r) => r.id), actionName: action.name, method: 'post', data: values })
          : await api.resourceAction({ resourceId: resource.id, actionName: action.name, method: 'post', data: values });
      const notice = (response.data as { notice?: { message: string; type?: 'success' | 'error' } }).notice;
      if (notice) {
        addNotice(notice);
        setDone(notice.message);
      }
      setValues(Object.fromEntries(Object.entries(values).filter(([k]) => !fields.some((f) => f.name === k && f.type === 'password'))));
      const redirectUrl = (response.data as { redirectUrl?: string }).redirectUrl;
      if (redirectUrl && notice?.type !== 'error') window.location.href = redirectUrl;
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box variant="container" as="form" onSubmit={submit} data-testid="confirm-command">
      <Text mb="xl">{custom.confirm ?? `Run “${action.label}”${record ? ` on ${record.title}` : ''}?`}</Text>
      {fields.map((f) => (
        <FormGroup key={f.name}>
          <Label required={f.required}>{f.label}</Label>
          {f.type === 'textarea' ? (
            <TextArea width={1} name={f.name} value={values[f.name] ?? ''} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setValues({ ...values, [f.name]: e.target.value })} />
          ) : f.type === 'select' ? (
            <Select
              value={f.options?.find((o) => o.value === values[f.name]) ?? null}
              options={f.options ?? []}
              onChange={(o: { value: string } | null) => setValues({ ...values, [f.name]: o?.value ?? '' })}
            />
          ) : f.type === 'password' ? (
            <Input width={1} type="password" autoComplete="current-password" name={f.name} value={values[f.name] ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [f.name]: e.target.value })} />
          ) : (
            <Input width={1} name={f.name} value={values[f.name] ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [f.name]: e.target.value })} />
          )}
        </FormGroup>
      ))}
      <Button variant={action.variant === 'danger' ? 'danger' : 'contained'} type="submit" disabled={busy} data-testid="confirm-command-submit">
        {busy ? 'Working…' : action.label}
      </Button>
      {done ? <Text mt="lg">{done}</Text> : null}
    </Box>
  );
};

export default ConfirmCommand;
