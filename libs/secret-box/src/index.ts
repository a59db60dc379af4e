export * from './secret-box';
export * from './sealed-for';
export * from './store-credentials';
export * from './registry-credentials';
