import { render } from 'solid-js/web';
import { App } from './app/App.tsx';
import { locale } from './i18n/index.ts';
import './styles.css';

document.documentElement.lang = locale();
const root = document.getElementById('root');
if (!root) throw new Error('main: #root is missing from index.html');
render(() => <App />, root);
