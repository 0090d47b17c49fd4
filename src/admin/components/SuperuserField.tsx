import React from 'react';
import { BasePropertyComponent, useCurrentAdmin, type EditPropertyProps } from 'adminjs';

/**
 * Edit-form wrapper for fields only a superuser may set (is_staff, is_superuser, new password):
 * staff do not see them. The server strips them as well (src/admin/user-guard.ts).
 */
const SuperuserField: React.FC<EditPropertyProps> = (props) => {
  const [admin] = useCurrentAdmin();
  if (!(admin as { is_superuser?: boolean } | null)?.is_superuser) return null;
  // Render the stock editor for the property's type (without this component, to avoid recursion).
  const property = { ...props.property, components: {} };
  return <BasePropertyComponent {...props} property={property} />;
};

export default SuperuserField;
