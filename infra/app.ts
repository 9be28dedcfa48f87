import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from './nag';
import { buildStacks } from './stacks';

const app = new App();
buildStacks(app);
// Synthesis fails on any finding that is neither fixed nor accepted with a reason next to the resource.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
