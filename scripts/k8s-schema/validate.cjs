// Validates Kubernetes objects against the Kubernetes API's JSON schemas (npm: kubernetes-models,
// @kubernetes-models/validate; scripts/k8s-schema/install.sh installs them into the cache folder).
// Input on stdin: a JSON array of objects. Prints one line per object; exits 1 if any is invalid.
//   node scripts/k8s-schema/validate.cjs <objects.json
'use strict';
const objects = JSON.parse(require('fs').readFileSync(0, 'utf8'));
let invalid = 0;
for (const object of objects) {
  const name = `${object.kind}/${object.metadata && object.metadata.name}`;
  try {
    const group = object.apiVersion.includes('/') ? object.apiVersion : `${object.apiVersion}`;
    const Model = require(`kubernetes-models/${group}/${object.kind}`)[object.kind];
    if (!Model) throw new Error(`no model for ${object.apiVersion} ${object.kind}`);
    new Model(object).validate();
    console.log(`valid ${object.apiVersion} ${name}`);
  } catch (e) {
    invalid++;
    console.log(`INVALID ${object.apiVersion} ${name}: ${e.message}`);
  }
}
process.exit(invalid === 0 ? 0 : 1);
