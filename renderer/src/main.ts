document.getElementById('app')!.textContent = 'Modus';
