export { serviceSettingsTypeDefs } from './service-settings.schema';
export { serviceSettingsResolvers } from './service-settings.resolver';
export { serviceSettingsRules } from './service-settings.rules';
export { envVarsProjection } from './env-vars.projection';
